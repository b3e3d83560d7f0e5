"""Tests of kg.graph."""

"""Tests of kg.network."""

"""Tests of kg.web."""

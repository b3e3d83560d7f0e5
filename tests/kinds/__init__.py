"""Tests of kg.kinds."""

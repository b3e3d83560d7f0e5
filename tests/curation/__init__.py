"""Tests of kg.curation."""

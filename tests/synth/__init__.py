"""Tests of kg.synth."""

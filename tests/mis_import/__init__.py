"""Tests of the MIS import (issue 5)."""

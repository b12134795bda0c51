"""Importing the school roll from the MIS: CTF and CSV readers, a pure diff against the
database, an all-or-nothing apply, and the photo folder import.

Readers turn a file into SourceRecords (raw text, with line numbers); `checks` turns a
record into a checked Incoming pupil or problems; `plan` compares those with the
database; `apply` writes a plan in one transaction; `service` ties them to a file.
"""

"""The Textual app. Screens own their work; database work runs in thread workers."""

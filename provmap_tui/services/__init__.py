"""Services: import, export, reports and set-up, built on the store. No UI here."""

"""Pure domain: models, codes and the costing rule. No I/O lives here."""

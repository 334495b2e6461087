"""Graph model and stores."""

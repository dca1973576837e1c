"""Gate by Gate reference LSTM math (NumPy only)."""

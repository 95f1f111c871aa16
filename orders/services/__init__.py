"""Every write of the orders app: one service per business action (STYLE.md)."""

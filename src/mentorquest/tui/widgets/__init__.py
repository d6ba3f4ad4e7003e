"""Small widgets of the Textual player: gauges and the 1-5 scale selector."""

"""The Properties dock: the panel, its pages (step, transition, lane, pathway) and field editors."""

"""The ``perioperative`` pack: phases, shared decisions, optimisation, discharge."""

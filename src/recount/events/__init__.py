"""Events and what happened in them: links, timeline, acts, actors, instruments, interventions."""

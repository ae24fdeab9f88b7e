"""Scene analysers: the offline rule-based one and the LLM one."""

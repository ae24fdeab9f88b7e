"""Chat: the command grammar, LLM tool calling and change sets."""

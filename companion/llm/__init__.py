"""The LLM gateway: one ChatModel seam, the embedded local model, the confidentiality guard."""

from companion.llm.base import ChatModel, ChatReply, ChatRequest, ConfidentialityError
from companion.llm.fake import FakeChatModel
from companion.llm.gateway import EMBEDDED, LLMGateway, LLMSettings
from companion.llm.remote import LiteLLMChatModel, is_loopback

__all__ = [
    "EMBEDDED",
    "ChatModel",
    "ChatReply",
    "ChatRequest",
    "ConfidentialityError",
    "FakeChatModel",
    "LLMGateway",
    "LLMSettings",
    "LiteLLMChatModel",
    "is_loopback",
]

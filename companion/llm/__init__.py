"""The LLM gateway: one ChatModel seam, the embedded local model, the confidentiality guard."""

from companion.llm.base import (
    ChatModel,
    ChatReply,
    ChatRequest,
    ConfidentialityError,
    ModelUnavailable,
)
from companion.llm.fake import FakeChatModel
from companion.llm.gateway import EMBEDDED, LLMGateway, LLMSettings
from companion.llm.onprem import OnPremChatModel, confidential_refusal, is_loopback
from companion.llm.remote import LiteLLMChatModel

__all__ = [
    "EMBEDDED",
    "ChatModel",
    "ChatReply",
    "ChatRequest",
    "ConfidentialityError",
    "FakeChatModel",
    "LLMGateway",
    "LLMSettings",
    "ModelUnavailable",
    "LiteLLMChatModel",
    "OnPremChatModel",
    "confidential_refusal",
    "is_loopback",
]

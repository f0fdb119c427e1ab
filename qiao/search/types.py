"""The matching library's plain types, for code outside qiao.search (which may not import
`matching` itself: an import-linter contract)."""

from matching import AlignedPassage, Document, Explanation, Filters, Language, Match

__all__ = ["AlignedPassage", "Document", "Explanation", "Filters", "Language", "Match"]

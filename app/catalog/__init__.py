"""The curated catalog: file schema, validation, loading and queries."""

# the six kinds of initiative; data/categories/<slug>.md exists for each
CATEGORY_SLUGS = (
    "municipal-offices",
    "strategic-plans",
    "welcoming-network",
    "certified-welcoming",
    "g4g-communities",
    "case-stories",
)

"""Languages of the portal: the interface catalogues (``catalogues``), the reader's language
(``middleware``, ``preferences``) and content written in several languages (``content``).
README.md, "Languages", explains the workflow."""

# Configuration file for the Sphinx documentation builder, in the style
# sphinx-quickstart and sphinx-book-theme projects write.
import os
import sys
from datetime import date

sys.path.insert(0, os.path.abspath(".."))

# -- Project information -----------------------------------------------------
project = "Portal Deployment Guide"
copyright = f"{date.today().year}, The Portal Team"
author = "The Portal Team"
release = "2.4"
version = release

# -- General configuration ---------------------------------------------------
extensions = [
    "myst_parser",
    "sphinx_design",
    "sphinx_copybutton",  # copy buttons on code blocks
    "sphinx.ext.autodoc",
]
myst_enable_extensions = [
    "colon_fence",
    "deflist",
    "dollarmath",
    "linkify",
    "substitution",
    "attrs_inline",
]
myst_heading_anchors = 3
myst_substitutions = {
    "product": "Portal",
    "year": 2026,
}
root_doc = "index"
templates_path = ["_templates"]
exclude_patterns = ["_build", "Thumbs.db", ".DS_Store"]
language = 'en'

# -- Options for HTML output -------------------------------------------------
html_theme = "sphinx_book_theme"
html_title = 'Portal ' \
    "docs"
html_logo = "_static/logo.svg"
html_favicon = "_static/favicon.ico"
html_static_path = ["_static"]
html_baseurl = "https://docs.example.org/"
html_theme_options = {
    "repository_url": "https://github.com/example/portal",
    "use_repository_button": True,
    "home_page_in_toc": False,
    "icon_links": [
        {"name": "GitHub", "url": "https://github.com/example/portal", "icon": "fa-brands fa-github"},
    ],
}
linkcheck_ignore = [r"https://localhost:\d+/", r"^https://internal\."]
linkcheck_timeout = 15
linkcheck_retries = 3

if os.environ.get("READTHEDOCS"):
    html_theme_options["announcement"] = "Read the Docs build"


def setup(app):
    app.add_css_file("custom.css")

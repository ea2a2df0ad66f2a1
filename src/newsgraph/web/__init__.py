"""The web app's pages (`pages.py`), Jinja2 templates (`templates/`) and static assets (`static/`)."""

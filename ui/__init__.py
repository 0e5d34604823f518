"""Streamlit helpers shared by the pages (state, forms, upload, editor, live training).

Only this package and ``app_pages/`` import streamlit; ``recsys_core`` never does. Modules
here that only the app uses but that need no streamlit (``classroom``) live here too.
"""

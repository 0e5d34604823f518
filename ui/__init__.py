"""Streamlit helpers shared by the pages (state, forms, upload, editor, live training).

Only this package and ``pages/`` import streamlit; ``recsys_core`` never does.
"""

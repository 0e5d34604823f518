"""RecSys Playground: the entry page. Sets up the session and lists the pages."""

import streamlit as st

from ui import paths, state

st.set_page_config(page_title="RecSys Playground", page_icon=":material/grid_on:", layout="wide")

state.init(st.session_state)
state.settle_interrupted(st.session_state)  # a training loop cut off by a click or page switch


def home():
    """The bare address opens Train: the course matrix is loaded, one click trains."""
    st.switch_page(paths.TRAIN)


PAGES = [
    # The default page is served at "/" and loses its own path, so it is a hidden redirect:
    # every real page keeps its address (/data, /train ...).
    st.Page(home, title="RecSys Playground", url_path="home", default=True, visibility="hidden"),
    st.Page(paths.DATA, title="Data", icon=":material/table_chart:", url_path="data"),
    st.Page(paths.TRAIN, title="Train", icon=":material/model_training:", url_path="train"),
    st.Page(paths.RESULTS, title="Results", icon=":material/insights:", url_path="results"),
    st.Page(paths.COMPARE, title="Compare", icon=":material/compare_arrows:", url_path="compare"),
    st.Page(paths.GUIDE, title="Guide", icon=":material/menu_book:", url_path="guide"),
]
page = st.navigation(PAGES)

notice = state.pop_notice(st.session_state)
if notice:
    st.toast(notice, icon=":material/stop_circle:")

page.run()

"""Guide page: a walk through the app on the course matrix, feature by feature."""

import streamlit as st

from ui import paths
from ui.i18n import Texts, t

T = Texts("guide")
STEPS = [  # (text key, the page it happens on, that page's name key)
    ("step1", paths.DATA, "nav.data"),
    ("step2", paths.TRAIN, "nav.train"),
    ("step3", paths.RESULTS, "nav.results"),
    ("step4", paths.RESULTS, "nav.results"),
    ("step5", paths.RESULTS, "nav.results"),
    ("step6", paths.COMPARE, "nav.compare"),
    ("step7", None, None),
]

st.title(T["title"])
st.markdown(T["intro"])
for step, page, page_name in STEPS:
    with st.container(border=True, key=f"guide_{step}"):
        st.subheader(T[f"{step}_head"])
        st.markdown(T[step])
        if page is not None:
            st.page_link(page, label=T["open"].format(page=t(page_name)))
st.subheader(T["ideas"])
st.markdown(T["try"])

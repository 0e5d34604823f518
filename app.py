"""RecSys Playground: the entry page. Sets up the session and lists the pages.

Every run: the session's state, its language (first from the browser or ``?lang=``), a shared
set-up from the URL on the first run, the sidebar's language and projector switches, then the
page. The address bar is kept holding the set-up (``ui.share``).
"""

import streamlit as st

from recsys_core.limits import apply_thread_limit
from recsys_core.results.figures import make_template_default
from ui import classroom_view, i18n, paths, present, share, state, warm
from ui.i18n import _

st.set_page_config(page_title="RecSys Playground", page_icon=":material/grid_on:", layout="wide")
apply_thread_limit()  # torch threads, once for the server process (recsys_core/limits.py)
make_template_default()  # every figure's template, given for free (recsys_core/results/figures)

S = st.session_state
state.init(S)
state.settle_interrupted(S)  # a training loop cut off by a click or page switch
i18n.init_language(S, st.query_params, st.context.locale)
i18n.refresh_choices(S)  # after a language switch, choice widgets show the new words
share.restore(S, st.query_params)


def home():
    """The bare address opens Train: the course matrix is loaded, one click trains."""
    st.switch_page(paths.TRAIN, query_params=share.merged(st.query_params.to_dict(),
                                                         share.params_of(S)))


with st.sidebar:
    st.segmented_control(_("Language · 언어"), list(i18n.LANGS), key=i18n.LANG, required=True,
                         format_func=i18n.LANGUAGE_NAMES.get)
    st.toggle(_("Projector mode"), key=present.PROJECTOR, help=_("Large type and the full screen width, for "
                                                                "a classroom projector."))
present.apply(S)
classroom_view.apply(S, st.query_params)  # a classroom link's hidden controls

PAGES = [
    # The default page is served at "/" and loses its own path, so it is a hidden redirect:
    # every real page keeps its address (/data, /train ...).
    st.Page(home, title=_("RecSys Playground"), url_path="home", default=True, visibility="hidden"),
    st.Page(paths.DATA, title=_("Data"), icon=":material/table_chart:", url_path="data"),
    st.Page(paths.TRAIN, title=_("Train"), icon=":material/model_training:",
            url_path="train"),
    st.Page(paths.RESULTS, title=_("Results"), icon=":material/insights:",
            url_path="results"),
    st.Page(paths.COMPARE, title=_("Compare"), icon=":material/compare_arrows:",
            url_path="compare"),
    st.Page(paths.GUIDE, title=_("Guide"), icon=":material/menu_book:", url_path="guide"),
]
page = st.navigation(PAGES)

notice = state.pop_notice(S)
if notice:
    st.toast(i18n.say(notice), icon=":material/stop_circle:")

share.sync(S)
page.run()
warm.after_first_page()  # torch's first optimiser costs 0.8 s: pay it now, not at Train

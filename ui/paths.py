"""Where each page's script lives, for st.Page, st.page_link and AppTest.switch_page.

The folder is deliberately not called ``pages/``: Streamlit (1.67) still treats a ``pages/``
folder beside the entry script as a legacy multipage app until the first ``st.navigation``
call in the server process, so a fresh server whose first visitor opens ``/data`` would run
that page alone, without ``app.py`` (no session set-up, the wrong sidebar). AppTest resets that
flag before every run, so there the entry script would run only once.
"""

DATA = "app_pages/data.py"
TRAIN = "app_pages/train.py"
RESULTS = "app_pages/results.py"
COMPARE = "app_pages/compare.py"
GUIDE = "app_pages/guide.py"

"""The floor the app's first page is measured against (issue 17): a bare Streamlit page with a
title and two plotly charts, a loss curve and a small heatmap, the two charts the Train page
draws first. ``python -m bench.app_speed`` starts it exactly as it starts the app and times it
in the same browser, so the ratio says what the app adds to Streamlit's own cost."""

import plotly.graph_objects as go
import streamlit as st

st.title("A bare Streamlit page")
with st.container(key="loss_chart"):  # the keys the Train page's charts have
    st.plotly_chart(go.Figure(go.Scatter(y=[1.0 / (1 + k) for k in range(100)])))
with st.container(key="live_heatmap"):
    st.plotly_chart(go.Figure(go.Heatmap(z=[[(u * 10 + i) % 5 for i in range(10)]
                                            for u in range(9)])))

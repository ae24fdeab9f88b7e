"""The only Streamlit code outside app.py and pages/: the services cache, session keys and shared widgets."""

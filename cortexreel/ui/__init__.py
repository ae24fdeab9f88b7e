"""The only Streamlit code outside app.py and pages/: the services cache, the registry of pages and
their guard, session and widget keys, and shared widgets."""

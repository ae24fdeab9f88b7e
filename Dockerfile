# One image for the app and the workers.
FROM python:3.11-slim

ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1 PIP_NO_CACHE_DIR=1 PIP_DISABLE_PIP_VERSION_CHECK=1
WORKDIR /app

COPY requirements.txt .
RUN pip install -r requirements.txt

COPY pyproject.toml app.py server.py worker.py ./
COPY cortexreel ./cortexreel
COPY pages ./pages
COPY .streamlit ./.streamlit
RUN pip install --no-deps . && useradd --create-home --uid 10001 cortexreel && mkdir -p /data \
    && chown cortexreel /data
USER cortexreel

ENV CORTEXREEL_DATA_DIR=/data
EXPOSE 8501
CMD ["streamlit", "run", "server.py", "--server.address=0.0.0.0", "--server.port=8501", "--server.headless=true"]

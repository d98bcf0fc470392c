# Production image: gunicorn serves the application; the same image runs worker and beat.
FROM python:3.11-slim-bookworm
ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1 DJANGO_SETTINGS_MODULE=zhuao.settings.production
RUN apt-get update \
 && apt-get install -y --no-install-recommends fonts-noto-cjk libharfbuzz-subset0 libpango-1.0-0 \
      libpangoft2-1.0-0 libpq5 \
 && rm -rf /var/lib/apt/lists/*
WORKDIR /app
COPY pyproject.toml ./
COPY . .
RUN pip install --no-cache-dir . && SECRET_KEY=build ALLOWED_HOSTS=build \
    python manage.py collectstatic --noinput -v0
RUN useradd --system --home /app zhuao && mkdir -p /app/var && chown -R zhuao /app/var
USER zhuao
EXPOSE 8000
CMD ["gunicorn", "-c", "python:zhuao.gunicorn_conf", "zhuao.wsgi:application"]

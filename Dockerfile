# syntax=docker/dockerfile:1
# Build a wheel (the spec is packaged inside it), then install it into a slim runtime image.
FROM python:3.11-slim AS build
WORKDIR /src
COPY pyproject.toml README.md ./
COPY openapi ./openapi
COPY src ./src
RUN pip install --no-cache-dir --upgrade pip \
 && pip wheel --no-cache-dir --wheel-dir /wheels .

FROM python:3.11-slim
ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    ORCHESTRATOR_API_DATABASE_URL=sqlite:////home/app/data/orchestrator-api.db \
    ORCHESTRATOR_API_DAGS_FOLDER=/home/app/dags \
    ORCHESTRATOR_API_LOGS_FOLDER=/home/app/data/logs \
    ORCHESTRATOR_API_BIND=0.0.0.0:8080
COPY --from=build /wheels /wheels
RUN pip install --no-cache-dir /wheels/*.whl && rm -rf /wheels \
 && useradd --create-home --uid 10001 --shell /usr/sbin/nologin app
COPY --chown=app:app examples/dags /home/app/dags
COPY docker/entrypoint.sh /usr/local/bin/orchestrator-api-entrypoint
USER app
WORKDIR /home/app
RUN mkdir -p /home/app/data
VOLUME ["/home/app/data"]
EXPOSE 8080
HEALTHCHECK --interval=30s --timeout=5s --start-period=20s --retries=3 \
  CMD python -c "import sys, urllib.request; sys.exit(urllib.request.urlopen('http://127.0.0.1:8080/api/v1/health', timeout=4).status != 200)"
ENTRYPOINT ["orchestrator-api-entrypoint"]
CMD ["serve"]

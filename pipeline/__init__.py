"""Political-news ingestion pipeline.

The package splits into a pure core (``parse``, ``normalize``, ``discovery``, ``decoding``,
``nlp``) that takes values and returns typed records, and a thin shell that touches the world
(``fetch`` for HTTP, ``warehouse`` for PostgreSQL, ``cli`` for the command line). Airflow DAGs in
``dags/`` call into the shell; nothing here imports Airflow.
"""

__version__ = "0.1.0"

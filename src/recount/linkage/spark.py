"""Splink on Spark: the same model and features as DuckDB, for cases beyond one machine.

By default Spark runs in local mode on this machine's cores (``local[*]``). To use a cluster,
set ``RECOUNT_SPARK_MASTER`` (e.g. ``spark://host:7077`` or ``yarn``) and any Spark settings
as ``RECOUNT_SPARK_CONF_<key>`` with dots written as underscores, e.g.
``RECOUNT_SPARK_CONF_spark_executor_memory=8g``. Splink's string-similarity functions (Jaro–
Winkler) come as a JAR inside the Splink wheel; it is added to the session here.

Spark needs Java 17 or newer (``java -version``); `make test` installs Debian's JRE when missing.
"""

from __future__ import annotations

import os
import tempfile
from typing import Any

from recount.errors import MissingExtraError, SparkUnavailableError

SPARK_MASTER_ENV = "RECOUNT_SPARK_MASTER"
SPARK_CONF_PREFIX = "RECOUNT_SPARK_CONF_"

_session: Any = None


def require_pyspark() -> None:
    """Refuse the Spark backend at once, in one line, when the spark extra is not installed."""
    try:
        import pyspark.sql  # noqa: F401
    except ImportError as exc:
        raise MissingExtraError(
            "spark", "the Spark backend (`recount link --backend spark`)"
        ) from exc


def spark_session() -> Any:
    """One Spark session per process, configured from the environment."""
    global _session
    if _session is not None:
        return _session
    require_pyspark()
    from pyspark.sql import SparkSession
    from splink.backends.spark import similarity_jar_location

    builder = (
        SparkSession.builder.appName("recount")
        .master(os.environ.get(SPARK_MASTER_ENV, "local[*]"))
        .config("spark.jars", similarity_jar_location())
        .config("spark.sql.shuffle.partitions", "8")
        .config("spark.ui.enabled", "false")
        .config("spark.driver.memory", os.environ.get("RECOUNT_SPARK_DRIVER_MEMORY", "4g"))
    )
    for key, value in os.environ.items():
        if key.startswith(SPARK_CONF_PREFIX):
            builder = builder.config(key[len(SPARK_CONF_PREFIX) :].replace("_", "."), value)
    try:
        _session = builder.getOrCreate()
    except Exception as exc:  # Java missing or failing to start
        raise SparkUnavailableError(f"Spark could not start ({exc}); it needs Java 17+") from exc
    checkpoints = os.environ.get("RECOUNT_SPARK_CHECKPOINTS") or tempfile.mkdtemp(
        prefix="recount-spark-"
    )
    _session.sparkContext.setCheckpointDir(checkpoints)
    return _session


def spark_api() -> Any:
    session = spark_session()
    from splink.backends.spark import SparkAPI

    return SparkAPI(spark_session=session)

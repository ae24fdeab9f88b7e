"""VectorIndex on Weaviate through weaviate-client v4: collection `SceneEmbedding`, vectors sent by the app.

Thin by design: Weaviate does the ranking (cosine HNSW, BM25, and hybrid with relative score fusion, as the
embedded index does) and the filtering; this module maps our records and filters onto its properties. The client
is imported and connected on first use, never at import or build time. The schema is created when missing; a
second process creating it at the same moment is not an error.
"""

from __future__ import annotations

import json
import threading
from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit

from cortexreel.errors import BackendUnavailableError, InvalidInputError
from cortexreel.ports import MetadataValue, VectorHit, VectorRecord

if TYPE_CHECKING:
    from weaviate import WeaviateClient
    from weaviate.collections import Collection

COLLECTION = "SceneEmbedding"
BATCH_SIZE = 200
# How our metadata keys are stored as Weaviate properties (the names the issue fixed for the collection).
PROPERTY_FOR = {
    "scene_number": "sceneNumber",
    "location": "location",
    "characters": "characters",
    "emotional_tone": "emotionalTone",
    "setting": "setting",
    "time_of_day": "timeOfDay",
    "risk_level": "riskLevel",
    "heading": "heading",
}
LIST_PROPERTIES = frozenset({"characters"})


class WeaviateVectorIndex:
    kind = "weaviate"

    def __init__(
        self,
        url: str,
        *,
        grpc_port: int = 50051,
        api_key: str | None = None,
        collection: str = COLLECTION,
        alpha: float = 0.5,
    ) -> None:
        parts = urlsplit(url if "://" in url else f"http://{url}")
        if not parts.hostname:
            raise InvalidInputError(f"{url} is not a Weaviate URL (expected e.g. http://weaviate:8080).")
        self.url = url
        self._secure = parts.scheme == "https"
        self._host = parts.hostname
        self._port = parts.port or (443 if self._secure else 8080)
        self._grpc_port = grpc_port
        self._api_key = api_key
        self.collection_name = collection
        self._alpha = alpha
        self._client: WeaviateClient | None = None
        self._lock = threading.Lock()

    def describe(self) -> str:
        return f"{self.url} (gRPC {self._grpc_port}), collection {self.collection_name}"

    def ping(self) -> None:
        if not self._connected().is_ready():
            raise BackendUnavailableError(f"Weaviate at {self.url} is not ready.")

    def close(self) -> None:
        with self._lock:
            if self._client is not None:
                self._client.close()
                self._client = None

    def _connected(self) -> WeaviateClient:
        with self._lock:
            if self._client is not None:
                return self._client
            import weaviate
            from weaviate.classes.init import Auth
            from weaviate.exceptions import WeaviateBaseError

            try:
                client = weaviate.connect_to_custom(
                    http_host=self._host,
                    http_port=self._port,
                    http_secure=self._secure,
                    grpc_host=self._host,
                    grpc_port=self._grpc_port,
                    grpc_secure=self._secure,
                    auth_credentials=Auth.api_key(self._api_key) if self._api_key else None,
                )
                _ensure_schema(client, self.collection_name)
            except WeaviateBaseError as error:
                raise BackendUnavailableError(
                    f"Weaviate at {self.url} cannot be reached.", detail=str(error)
                ) from error
            self._client = client
            return client

    def _collection(self) -> Collection[Any, Any]:
        return self._connected().collections.get(self.collection_name)

    def drop_collection(self) -> None:
        """Delete the whole collection (tests and re-indexing with another embedding model)."""
        self._connected().collections.delete(self.collection_name)
        with self._lock:
            if self._client is not None:
                self._client.close()
            self._client = None

    def upsert(self, records: Sequence[VectorRecord]) -> None:
        if not records:
            return
        from weaviate.util import generate_uuid5

        collection = self._collection()
        with collection.batch.fixed_size(batch_size=BATCH_SIZE) as batch:
            for record in records:
                batch.add_object(properties=_properties(record), uuid=generate_uuid5(record.id), vector=record.vector)
        failed = collection.batch.failed_objects
        if failed:
            raise BackendUnavailableError(
                f"Weaviate refused {len(failed)} of {len(records)} search records.", detail=str(failed[0].message)
            )

    def query(
        self,
        vector: Sequence[float] | None,
        *,
        text: str | None = None,
        limit: int = 10,
        script_ids: Sequence[str] | None = None,
        where: Mapping[str, str | int] | None = None,
    ) -> list[VectorHit]:
        if vector is None and not text:
            raise InvalidInputError("A search needs a query text or a vector.")
        if limit <= 0 or (script_ids is not None and not script_ids):
            return []
        from weaviate.classes.query import HybridFusion, MetadataQuery
        from weaviate.exceptions import WeaviateQueryError

        collection = self._collection()
        filters = _filters(script_ids, where)
        try:
            if vector is not None and text:
                response = collection.query.hybrid(
                    query=text,
                    vector=list(vector),
                    alpha=self._alpha,
                    fusion_type=HybridFusion.RELATIVE_SCORE,
                    query_properties=["content"],
                    limit=limit,
                    filters=filters,
                    return_metadata=MetadataQuery(score=True),
                )
            elif vector is not None:
                response = collection.query.near_vector(
                    near_vector=list(vector), limit=limit, filters=filters, return_metadata=MetadataQuery(distance=True)
                )
            else:
                response = collection.query.bm25(
                    query=text or "",
                    query_properties=["content"],
                    limit=limit,
                    filters=filters,
                    return_metadata=MetadataQuery(score=True),
                )
        except WeaviateQueryError as error:
            if "length" in str(error).lower() or "dimension" in str(error).lower():
                raise InvalidInputError(
                    "The query vector does not have the dimensions of the vectors in the index.", detail=str(error)
                ) from error
            raise BackendUnavailableError("The Weaviate search failed.", detail=str(error)) from error
        hits = []
        for item in response.objects:
            properties = item.properties
            if item.metadata.distance is not None:
                score = 1.0 - float(item.metadata.distance)
            else:
                score = float(item.metadata.score or 0.0)
            hits.append(
                VectorHit(
                    id=str(properties["recordId"]),
                    scene_id=str(properties["sceneId"]),
                    script_id=str(properties["jobId"]),
                    content=str(properties["content"]),
                    metadata=json.loads(str(properties.get("metadataJson") or "{}")),
                    score=score,
                )
            )
        return hits

    def delete_script(self, script_id: str) -> None:
        from weaviate.classes.query import Filter

        self._collection().data.delete_many(where=Filter.by_property("jobId").equal(script_id))

    def delete_scene(self, scene_id: str) -> None:
        from weaviate.classes.query import Filter

        self._collection().data.delete_many(where=Filter.by_property("sceneId").equal(scene_id))

    def count(self, script_id: str | None = None) -> int:
        from weaviate.classes.query import Filter

        filters = Filter.by_property("jobId").equal(script_id) if script_id is not None else None
        return int(self._collection().aggregate.over_all(total_count=True, filters=filters).total_count or 0)


def _ensure_schema(client: WeaviateClient, name: str) -> None:
    from weaviate.classes.config import Configure, DataType, Property, Tokenization, VectorDistances
    from weaviate.exceptions import UnexpectedStatusCodeError

    if client.collections.exists(name):
        return

    def keyword(prop: str, data_type: DataType = DataType.TEXT) -> Property:
        return Property(name=prop, data_type=data_type, tokenization=Tokenization.FIELD, index_searchable=False)

    try:
        client.collections.create(
            name,
            vector_config=Configure.Vectors.self_provided(
                vector_index_config=Configure.VectorIndex.hnsw(distance_metric=VectorDistances.COSINE)
            ),
            properties=[
                keyword("recordId"),
                keyword("sceneId"),
                keyword("jobId"),
                Property(name="content", data_type=DataType.TEXT, tokenization=Tokenization.WORD),
                Property(name="sceneNumber", data_type=DataType.INT),
                keyword("location"),
                keyword("characters", DataType.TEXT_ARRAY),
                keyword("emotionalTone"),
                keyword("setting"),
                keyword("timeOfDay"),
                keyword("riskLevel"),
                keyword("owner"),
                Property(name="heading", data_type=DataType.TEXT, index_searchable=False),
                Property(name="metadataJson", data_type=DataType.TEXT, index_filterable=False, index_searchable=False),
            ],
        )
    except UnexpectedStatusCodeError:
        # Another process created it between our check and our create.
        if not client.collections.exists(name):
            raise


def _properties(record: VectorRecord) -> dict[str, Any]:
    properties: dict[str, Any] = {
        "recordId": record.id,
        "sceneId": record.scene_id,
        "jobId": record.script_id,
        "owner": record.owner,
        "content": record.content,
        "metadataJson": json.dumps(record.metadata),
    }
    for key, prop in PROPERTY_FOR.items():
        value: MetadataValue = record.metadata.get(key)
        if value is not None:
            properties[prop] = value
    return properties


def _filters(script_ids: Sequence[str] | None, where: Mapping[str, str | int] | None) -> Any:
    from weaviate.classes.query import Filter

    parts = []
    if script_ids is not None:
        parts.append(Filter.by_property("jobId").contains_any(list(script_ids)))
    for key, wanted in (where or {}).items():
        prop = PROPERTY_FOR.get(key)
        if prop is None:
            raise InvalidInputError(f"“{key}” is not a field the Weaviate index can filter on.")
        if prop in LIST_PROPERTIES:
            parts.append(Filter.by_property(prop).contains_any([str(wanted)]))
        else:
            parts.append(Filter.by_property(prop).equal(wanted))
    if not parts:
        return None
    return parts[0] if len(parts) == 1 else Filter.all_of(parts)

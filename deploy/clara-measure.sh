# Sourced by ./clara (never run alone): `./clara bench …` and `./clara eval …`, the benchmarks
# (bench/README.md) and the answer-quality evaluations (evaluation/README.md). They use the
# helpers ./clara defines before it sources this file (REPO, STATE, RUN, LOGS, start_jvm, stop_jvm,
# stack_up, took, …), so each starts the services it measures on databases of its own.

bench_classpath() { # the bench module's classes and its dependencies (bench/pom.xml lists them at package)
  (cd "$REPO" && mvn -q -B -DskipTests -pl bench -am package) >&2
  echo "$REPO/bench/target/classes:$(cat "$REPO/bench/target/classpath.txt")"
}

cmd_bench() {
  local classpath
  case "${1:-}" in
    chat) ;;
    embedding)
      shift; classpath="$(bench_classpath)"
      java -cp "$classpath" dev.clara.bench.EmbeddingBatchThroughput "$@"
      return ;;
    pipeline)
      # needs the whole stack: ./clara up
      shift; all_running || { echo "start the stack first: ./clara up"; exit 1; }
      classpath="$(bench_classpath)"
      java -cp "$classpath" dev.clara.bench.EmbeddingPipelineLatency "$CLARA_DATABASE_URL" "$@"
      return ;;
    gaps)
      # two gap-detector replicas and a relay on a database and topics of their own (gap-detector/README.md)
      shift; stack_up
      (cd "$REPO" && mvn -q -B -DskipTests -pl cdc-relay -am package && mvn -q -B -pl gap-detector -am test-compile \
        dependency:build-classpath -Dmdep.outputFile=target/test-classpath.txt -Dmdep.includeScope=test)
      (cd "$REPO/gap-detector" && java -cp "target/test-classes:target/classes:$(cat target/test-classpath.txt)" \
        dev.clara.gaps.GapDetectorBenchmark "$@")
      return ;;
    documents) shift; bench_documents "$@"; return ;;
    *) echo "usage: ./clara bench chat [requests] [concurrency] [warm-up] [pairs] | embedding [model] [texts] | pipeline [pairs] [per-second] | gaps [burst] [per-second] [seconds] [carried|none] | documents [pages] [bge-small|minilm]"; exit 2 ;;
  esac
  shift
  mkdir -p "$RUN" "$LOGS"
  stack_up
  build
  # a database of the benchmark's own, so the demo workspace and the figures never mix
  local url="jdbc:postgresql://127.0.0.1:$CLARA_PG_PORT/clara_bench"
  bash "$REPO/deploy/postgres.sh" psql -d postgres -q -c "DROP DATABASE IF EXISTS clara_bench WITH (FORCE)" -c "CREATE DATABASE clara_bench"
  CLARA_DATABASE_URL="$url" java -jar "$REPO/schema/target/schema-exec.jar" migrate > /dev/null
  trap 'stop_jvm bench-chat-api; stop_jvm bench-embedding-worker' EXIT
  echo "==> starting a chat-api (:18080, metrics on :18082) and an embedding worker (:18081) on clara_bench"
  # CLARA_BENCH_JFR=file.jfr: chat-api records a CPU profile (JFR, settings=profile) for its whole
  # run, written when it stops; deploy/jfr-top-frames.sh summarises it (bench/README.md)
  local service_opts="$SERVICE_JVM_OPTS"
  [[ -n "${CLARA_BENCH_JFR:-}" ]] && SERVICE_JVM_OPTS="$SERVICE_JVM_OPTS -XX:StartFlightRecording=filename=$CLARA_BENCH_JFR,settings=profile"
  start_jvm bench-chat-api 18080 "$REPO/chat-api/target/chat-api.jar" --server.port=18080 --spring.datasource.url="$url" \
    --management.server.port=18082 --clara.openai.api-key= --management.endpoints.web.exposure.include=health,metrics --clara.chat.rate-limit.per-ip=100000000 --clara.chat.rate-limit.per-network=100000000 --clara.chat.rate-limit.per-session=100000000 \
    --clara.chat.rate-limit.per-workspace=100000000 --clara.live.enabled=false
  SERVICE_JVM_OPTS="$service_opts"
  start_jvm bench-embedding-worker 18081 "$REPO/embedding-worker/target/embedding-worker.jar" --server.port=18081 \
    --management.server.port=0 \
    --spring.datasource.url="$url" --spring.kafka.listener.auto-startup=false --clara.worker.backfill-on-startup=false
  classpath="$(bench_classpath)"
  java -Dclara.bench.chat-api-management=http://127.0.0.1:18082 -cp "$classpath" dev.clara.bench.ChatTurnLoad "$url" http://127.0.0.1:18080 http://127.0.0.1:18081 \
    "$(cat "$RUN/bench-chat-api.pid")" "${CLARA_CLINC150:-$REPO/../shared/data/clinc150/clinc150_train_val.json}" "${1:-2000}" "${2:-8}" "${3:-1000}" "${4:-1000}"
}

# ./clara bench documents [pages=200] [model=bge-small]: a PDF through the real ingestion path on a
# database (clara_bench_documents), topics (bench.documents.*) and replication slot of its own:
# chat-api (owner upload), the CDC relay, an embedding worker, on ports 18600-18602 by default
# (CLARA_BENCH_DOCUMENTS_PORT moves them); a subshell, so its variables and its trap stay its own
BENCH_DOCUMENTS=(bench-documents-chat-api bench-documents-embedding-worker bench-documents-cdc-relay)
bench_documents_stop() {
  local name
  for name in "${BENCH_DOCUMENTS[@]}"; do stop_jvm "$name"; done
  # the slot pins the cluster's WAL: it goes with the relay (the database stays until the next run)
  bash "$REPO/deploy/postgres.sh" psql -d postgres -qtA -c \
    "select pg_drop_replication_slot(slot_name) from pg_replication_slots where slot_name = 'clara_bench_documents'" > /dev/null
}
bench_documents() (
  local pages="${1:-200}" model base="${CLARA_BENCH_DOCUMENTS_PORT:-18600}" db=clara_bench_documents topic
  case "${2:-bge-small}" in
    bge-small) model=bge-small-en-v1.5-q ;;
    minilm) model=all-minilm-l6-v2-q ;;
    *) model="$2" ;;
  esac
  mkdir -p "$RUN" "$LOGS"
  # servers already listening (started from another checkout) are used as they are
  if ! { (echo > "/dev/tcp/127.0.0.1/$CLARA_PG_PORT") && (echo > "/dev/tcp/127.0.0.1/$CLARA_KAFKA_PORT"); } 2>/dev/null; then
    stack_up
  fi
  build
  export CLARA_DATABASE_URL="jdbc:postgresql://127.0.0.1:$CLARA_PG_PORT/$db" CLARA_EMBEDDING_MODEL="$model" \
    CLARA_CDC_SLOT=clara_bench_documents CLARA_CDC_PUBLICATION=clara_bench_documents CLARA_TOPIC_PARTITIONS=1 \
    CLARA_LIVE_ENABLED=false CLARA_TRAINER_ENABLED=false OPENAI_API_KEY= \
    CLARA_JWT_SECRET="$(head -c 48 /dev/urandom | base64 | tr -d '\n=+/')"
  for topic in QUESTIONS:questions GAPS:gaps QA_PAIR_CHANGES:qa-pairs.changes QA_PAIR_EMBEDDED:qa-pairs.embedded \
    ANSWER_MODELS:answer-models FEEDBACK:feedback SPEND_CAPS:spend-caps IMPORTS:imports \
    DOCUMENT_CHANGES:documents.changes DOCUMENT_INGESTED:documents.ingested OUTBOX_DEAD_LETTER:outbox-dlt; do
    export "CLARA_TOPIC_${topic%%:*}=bench.documents.${topic#*:}"
  done
  bench_documents_stop > /dev/null
  bash "$REPO/deploy/postgres.sh" psql -d postgres -q -c "DROP DATABASE IF EXISTS $db WITH (FORCE)" -c "CREATE DATABASE $db"
  java -jar "$REPO/schema/target/schema-exec.jar" migrate > "$LOGS/bench-documents-schema.log" 2>&1
  java -jar "$REPO/schema/target/schema-exec.jar" seed-demo >> "$LOGS/bench-documents-schema.log" 2>&1 # the demo owner uploads
  trap bench_documents_stop EXIT
  echo "==> starting the CDC relay (:$((base + 2))), an embedding worker ($model, :$((base + 1))) and chat-api (:$base) on $db"
  start_jvm bench-documents-cdc-relay $((base + 2)) "$REPO/cdc-relay/target/cdc-relay.jar" --server.port=$((base + 2)) \
    --management.server.port=0
  start_jvm bench-documents-embedding-worker $((base + 1)) "$REPO/embedding-worker/target/embedding-worker.jar" \
    --server.port=$((base + 1)) --management.server.port=0 --clara.worker.backfill-on-startup=false
  start_jvm bench-documents-chat-api "$base" "$REPO/chat-api/target/chat-api.jar" --server.port="$base" --management.server.port=0 \
    --clara.openai.api-key=
  java -cp "$(bench_classpath)" dev.clara.bench.DocumentIngestionThroughput "$CLARA_DATABASE_URL" "http://127.0.0.1:$base" \
    "$(cat "$RUN/bench-documents-embedding-worker.pid")" "$pages"
  echo "the worker's log: $LOGS/bench-documents-embedding-worker.log"
)

# ── ./clara eval: answer quality on CLINC150 through the real chat path (evaluation/README.md) ──
# Per model: a fresh database clara_eval, an embedding worker (:18091) and, per search
# configuration, a chat-api (:18090) with that configuration; the knowledge bases are imported
# once per model, every configuration asks the same 3,100 validation questions.
EVAL_MODELS=(all-minilm-l6-v2-q bge-small-en-v1.5-q)
EVAL_STRATEGIES=(semantic hybrid)
EVAL_BEST_MATCHES=(top-1 vote-5 vote-10 vote-20)

# The answer model's offline experiment (no services): sentence vectors cached in .local/answer-model
cmd_eval_answer_model() {
  local data="${CLARA_CLINC150_DIR:-$REPO/../shared/data/clinc150}"
  echo "==> building the evaluation module (tests skipped)"
  (cd "$REPO" && mvn -q -B -Dmaven.test.skip=true -pl evaluation -am package)
  mkdir -p "$STATE/answer-model/jars"
  # a run copy: a later build must not replace the jar under this (long) run
  local jar="$STATE/answer-model/jars/evaluation-$$.jar"
  cp "$REPO/evaluation/target/evaluation.jar" "$jar"
  trap "rm -f '$jar'" EXIT
  java -Xmx1g -Dloader.main=dev.clara.evaluation.AnswerModelExperiment -cp "$jar" \
    org.springframework.boot.loader.launch.PropertiesLauncher "$data" "$STATE/answer-model" "$@"
}

# ── ./clara eval documents: answers from documents on SQuAD 2.0 articles (evaluation/README.md) ──
# Per model and chunking: a fresh database clara_eval_documents, an embedding worker (:18501) with
# that chunking, the articles uploaded through the owner API; per strategy and mode a chat-api (:18500).
DOCUMENT_CHUNKINGS=(1000/200)
DOCUMENT_STRATEGIES=(hybrid)
cmd_eval_documents() {
  local models=() chunkings=() strategies=() modes=() concurrency=4 args="$*" t
  local data="${CLARA_SQUAD2_DIR:-$REPO/../shared/data/squad2}"
  while (( $# )); do
    case "$1" in
      --model) models+=("$2"); shift ;;
      --chunk) chunkings+=("$2"); shift ;;
      --strategy) strategies+=("$2"); shift ;;
      --mode) modes+=("$2"); shift ;;
      --data) data="$2"; shift ;;
      --concurrency) concurrency="$2"; shift ;;
      *) echo "usage: ./clara eval documents [--model M]... [--chunk SIZE/OVERLAP]... [--strategy hybrid|vector]... [--mode sweep|deployed]... [--data DIR] [--concurrency N]"; exit 2 ;;
    esac
    shift
  done
  (( ${#models[@]} )) || models=(bge-small-en-v1.5-q)
  (( ${#chunkings[@]} )) || chunkings=("${DOCUMENT_CHUNKINGS[@]}")
  (( ${#strategies[@]} )) || strategies=("${DOCUMENT_STRATEGIES[@]}")
  (( ${#modes[@]} )) || modes=(sweep deployed)
  t="$(now)"
  mkdir -p "$RUN" "$LOGS"
  # servers already listening (started from another checkout of the repository) are used as they are
  if ! { (: < "/dev/tcp/127.0.0.1/$CLARA_PG_PORT") && (: < "/dev/tcp/127.0.0.1/$CLARA_KAFKA_PORT"); } 2> /dev/null; then
    stack_up
  fi
  echo "==> building schema, chat-api, embedding-worker and evaluation (tests skipped)"
  (cd "$REPO" && mvn -q -B -Dmaven.test.skip=true -pl schema,chat-api,embedding-worker,evaluation -am package)
  local dir="$STATE/eval-documents" db="${CLARA_EVAL_DOCUMENTS_DB:-clara_eval_documents}"
  local url="jdbc:postgresql://127.0.0.1:$CLARA_PG_PORT/$db"
  local chat_port="${CLARA_EVAL_DOCUMENTS_CHAT_API_PORT:-18500}" worker_port="${CLARA_EVAL_DOCUMENTS_WORKER_PORT:-18501}"
  local model chunking strategy mode first
  # run copies: a build by someone else must not replace a jar under a running JVM
  rm -rf "$dir/jars"; mkdir -p "$dir/jars" "$dir/answers"
  cp "$REPO/chat-api/target/chat-api.jar" "$REPO/embedding-worker/target/embedding-worker.jar" \
    "$REPO/schema/target/schema-exec.jar" "$REPO/evaluation/target/evaluation.jar" "$dir/jars/"
  local evaluation=(java -Xmx512m -jar "$dir/jars/evaluation.jar" documents)
  trap 'stop_jvm eval-documents-chat-api; stop_jvm eval-documents-worker' EXIT
  for model in "${models[@]}"; do for chunking in "${chunkings[@]}"; do
    [[ "$chunking" =~ ^[0-9]+/[0-9]+$ ]] || { echo "--chunk SIZE/OVERLAP in characters, such as 1000/200"; return 2; }
    echo "==> $model, chunks of ${chunking%/*} characters with ${chunking#*/} of overlap: fresh database $db, embedding worker :$worker_port"
    bash "$REPO/deploy/postgres.sh" psql -d postgres -q -c "DROP DATABASE IF EXISTS $db WITH (FORCE)" -c "CREATE DATABASE $db"
    CLARA_DATABASE_URL="$url" java -jar "$dir/jars/schema-exec.jar" migrate > "$LOGS/eval-documents-migrate.log" 2>&1 \
      || { tail -20 "$LOGS/eval-documents-migrate.log"; return 1; }
    # no Kafka listener: the backfill ingests every version still pending (stalled-after 0s)
    start_jvm eval-documents-worker "$worker_port" "$dir/jars/embedding-worker.jar" --server.port="$worker_port" \
      --spring.datasource.url="$url" --clara.embedding.model="$model" --spring.kafka.listener.auto-startup=false \
      --clara.worker.backfill-on-startup=false --clara.documents.stalled-after=0s \
      --clara.documents.chunk-chars="${chunking%/*}" --clara.documents.overlap-chars="${chunking#*/}"
    first=1
    for strategy in "${strategies[@]}"; do
      echo "==> $model / $chunking / $strategy: chat-api :$chat_port"
      # no LLM (extractive answers), the five passages cited, rate limits raised for thousands of questions
      CLARA_JWT_SECRET="${CLARA_EVAL_JWT_SECRET:-eval-$(head -c 24 /dev/urandom | od -An -tx1 | tr -d ' \n')}" \
        start_jvm eval-documents-chat-api "$chat_port" "$dir/jars/chat-api.jar" --server.port="$chat_port" \
        --spring.datasource.url="$url" --clara.embedding.model="$model" --clara.chat.passages.strategy="$strategy" \
        --clara.chat.passages.extractive-citations=5 --clara.openai.api-key= --clara.live.enabled=false \
        --clara.chat.rate-limit.per-ip=100000000 --clara.chat.rate-limit.per-network=100000000 \
        --clara.chat.rate-limit.per-session=100000000 --clara.chat.rate-limit.per-workspace=100000000
      if (( first )); then
        "${evaluation[@]}" prepare --data "$data" --state "$dir" --chat-api "http://127.0.0.1:$chat_port" \
          --worker "http://127.0.0.1:$worker_port"
        first=0
      fi
      for mode in "${modes[@]}"; do
        "${evaluation[@]}" ask --data "$data" --state "$dir" --jdbc "$url" --chat-api "http://127.0.0.1:$chat_port" \
          --model "$model" --chunking "$chunking" --strategy "$strategy" --mode "$mode" --concurrency "$concurrency"
      done
      stop_jvm eval-documents-chat-api
    done
    stop_jvm eval-documents-worker
  done; done
  "${evaluation[@]}" report --state "$dir" --out "$REPO/evaluation/results" --command "./clara eval documents${args:+ $args}"
  echo "==> ./clara eval documents took $(took "$t")"
}

cmd_eval() {
  if [[ "${1:-}" == answer-model ]]; then shift; cmd_eval_answer_model "$@"; return; fi
  if [[ "${1:-}" == documents ]]; then shift; cmd_eval_documents "$@"; return; fi
  local kbs=(full small) models=() strategies=() bests=() concurrency=4 args="$*" t
  while (( $# )); do
    case "$1" in
      --small) kbs=(small) ;;
      --full) kbs=(full) ;;
      --model) models+=("$2"); shift ;;
      --strategy) strategies+=("$2"); shift ;;
      --best-match) bests+=("$2"); shift ;;
      --concurrency) concurrency="$2"; shift ;;
      *) echo "usage: ./clara eval [--small|--full] [--model M]... [--strategy semantic|hybrid]... [--best-match top-1|vote-N]... [--concurrency N]"; exit 2 ;;
    esac
    shift
  done
  (( ${#models[@]} )) || models=("${EVAL_MODELS[@]}")
  (( ${#strategies[@]} )) || strategies=("${EVAL_STRATEGIES[@]}")
  (( ${#bests[@]} )) || bests=("${EVAL_BEST_MATCHES[@]}")
  t="$(now)"
  mkdir -p "$RUN" "$LOGS"
  stack_up
  echo "==> building schema, chat-api, embedding-worker and evaluation (tests skipped)"
  (cd "$REPO" && mvn -q -B -Dmaven.test.skip=true -pl schema,chat-api,embedding-worker,evaluation -am package)
  local dir="$STATE/eval" url="jdbc:postgresql://127.0.0.1:$CLARA_PG_PORT/clara_eval"
  local chat_port="${CLARA_EVAL_CHAT_API_PORT:-18090}" worker_port="${CLARA_EVAL_WORKER_PORT:-18091}"
  local data="${CLARA_CLINC150_DIR:-$REPO/../shared/data/clinc150}" kb_args=() search_args=() kb model strategy best first
  for kb in "${kbs[@]}"; do kb_args+=(--kb "$kb"); done
  # run copies: a build by someone else must not replace a jar under a running JVM
  # answers of models not run this time stay, so the report can compare them
  rm -rf "$dir/jars"; mkdir -p "$dir/jars" "$dir/answers"
  for model in "${models[@]}"; do for strategy in "${strategies[@]}"; do for best in "${bests[@]}"; do
    rm -f "$dir/answers/${model}__${strategy}__${best}__"*
  done; done; done
  cp "$REPO/chat-api/target/chat-api.jar" "$REPO/embedding-worker/target/embedding-worker.jar" \
    "$REPO/schema/target/schema-exec.jar" "$REPO/evaluation/target/evaluation.jar" "$dir/jars/"
  local evaluation=(java -Xmx512m -jar "$dir/jars/evaluation.jar")
  local common=(--data "$data" --jdbc "$url" --state "$dir" "${kb_args[@]}")
  trap 'stop_jvm eval-chat-api; stop_jvm eval-embedding-worker' EXIT
  for model in "${models[@]}"; do
    echo "==> $model: fresh database clara_eval, embedding worker :$worker_port"
    bash "$REPO/deploy/postgres.sh" psql -d postgres -q -c "DROP DATABASE IF EXISTS clara_eval WITH (FORCE)" -c "CREATE DATABASE clara_eval"
    CLARA_DATABASE_URL="$url" java -jar "$dir/jars/schema-exec.jar" migrate > "$LOGS/eval-migrate.log" 2>&1 \
      || { tail -20 "$LOGS/eval-migrate.log"; return 1; }
    start_jvm eval-embedding-worker "$worker_port" "$dir/jars/embedding-worker.jar" --server.port="$worker_port" \
      --spring.datasource.url="$url" --management.server.port=0 \
      --clara.embedding.model="$model" --spring.kafka.listener.auto-startup=false --clara.worker.backfill-on-startup=false
    first=1
    for strategy in "${strategies[@]}"; do
      for best in "${bests[@]}"; do
        echo "==> $model / $strategy / $best: chat-api :$chat_port"
        # vote-N: a vote over the N best hits
        case "$best" in
          top-1) search_args=(--clara.chat.search.best-match=top-1) ;;
          vote-[1-9]*) search_args=(--clara.chat.search.best-match=vote --clara.chat.search.vote-count="${best#vote-}") ;;
          *) echo "unknown --best-match $best (top-1 or vote-N)"; return 2 ;;
        esac
        # the evaluation's own chat-api: rate limits raised so thousands of questions can be asked,
        # no LLM (extractive answers), its own JWT secret for the owner API
        CLARA_JWT_SECRET="${CLARA_EVAL_JWT_SECRET:-eval-$(head -c 24 /dev/urandom | od -An -tx1 | tr -d ' \n')}" \
          start_jvm eval-chat-api "$chat_port" "$dir/jars/chat-api.jar" --server.port="$chat_port" --spring.datasource.url="$url" \
          --management.server.port=0 \
          --clara.embedding.model="$model" --clara.chat.search.strategy="$strategy" "${search_args[@]}" \
          --clara.openai.api-key= --management.endpoints.web.exposure.include=health,metrics --clara.chat.rate-limit.per-ip=100000000 --clara.chat.rate-limit.per-network=100000000 --clara.chat.rate-limit.per-session=100000000 \
          --clara.chat.rate-limit.per-workspace=100000000 --clara.live.enabled=false
  SERVICE_JVM_OPTS="$service_opts"
        if (( first )); then
          "${evaluation[@]}" prepare "${common[@]}" --model "$model" --chat-api "http://127.0.0.1:$chat_port" \
            --worker "http://127.0.0.1:$worker_port"
          first=0
        fi
        "${evaluation[@]}" ask "${common[@]}" --model "$model" --strategy "$strategy" --best-match "$best" \
          --chat-api "http://127.0.0.1:$chat_port" --concurrency "$concurrency"
        stop_jvm eval-chat-api
      done
    done
    stop_jvm eval-embedding-worker
  done
  "${evaluation[@]}" report --state "$dir" --out "$REPO/evaluation/results" "${kb_args[@]}" \
    --command "./clara eval${args:+ $args}"
  echo "==> ./clara eval took $(took "$t")"
}

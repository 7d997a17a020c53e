package dev.clara.shared.embedding;

import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession.SessionOptions;
import ai.onnxruntime.OrtSession.SessionOptions.ExecutionMode;
import ai.onnxruntime.OrtSession.SessionOptions.OptLevel;

/**
 * How the in-process model uses the CPU, per service ({@code clara.embedding.local.*}, see
 * {@link EmbeddingSettings#from}). A non-positive value means its default.
 *
 * <p>Two ways to keep the cores busy, and they must not multiply: a batch caller (the embedding
 * worker) embeds {@code parallelRuns} texts of a batch at once, each run on
 * {@code intraOpThreads}; a service with many concurrent callers of one text each (chat-api)
 * gets its parallelism from the callers, so each run should use one thread: 8 concurrent
 * questions with 2 threads each would be 16 busy threads on 2 cores. One text per thread beats
 * one text on several: a question is a few dozen tokens, too little work to split across cores
 * without most of the gain going to waiting for each other.
 *
 * @param intraOpThreads threads one model run uses (ONNX Runtime's intra-op pool, the caller
 * included); default 1
 * @param parallelRuns texts one {@code embedAll} call embeds at once (the caller's thread and
 * {@code parallelRuns - 1} helpers); default 1 (the caller's thread only)
 * @param cpuArena whether ONNX Runtime keeps freed tensor memory in its arena for the next run
 * (faster allocation, but the arena keeps the largest batch's memory for good); default off
 */
public record LocalRuntime(int intraOpThreads, int parallelRuns, boolean cpuArena) {

	public LocalRuntime {
		intraOpThreads = (intraOpThreads <= 0) ? 1 : intraOpThreads;
		parallelRuns = (parallelRuns <= 0) ? 1 : parallelRuns;
	}

	/** One thread per run, one run at a time: for a service whose callers bring the parallelism. */
	public static LocalRuntime defaults() {
		return new LocalRuntime(1, 1, false);
	}

	SessionOptions sessionOptions() throws OrtException {
		SessionOptions options = new SessionOptions();
		options.setIntraOpNumThreads(this.intraOpThreads);
		// the model is one chain of operators: nothing for an inter-op pool to run side by side
		options.setInterOpNumThreads(1);
		options.setExecutionMode(ExecutionMode.SEQUENTIAL);
		options.setOptimizationLevel(OptLevel.ALL_OPT);
		// a memory pattern is planned per input shape; every batch has another length, so it only
		// costs memory
		options.setMemoryPatternOptimization(false);
		options.setCPUArenaAllocator(this.cpuArena);
		// with more than one intra-op thread, idle pool threads would spin between operators: on
		// shared cores that burns the CPU other runs need (measured: 64-91 instead of about 170
		// embeddings per CPU-second with 2 spinning threads)
		options.addConfigEntry("session.intra_op.allow_spinning", "0");
		return options;
	}

}

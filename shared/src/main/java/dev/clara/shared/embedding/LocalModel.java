package dev.clara.shared.embedding;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.nio.LongBuffer;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import ai.djl.huggingface.tokenizers.HuggingFaceTokenizer;
import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import ai.onnxruntime.OrtSession.SessionOptions;

/**
 * One quantised BERT model in ONNX Runtime with its tokenizer, loaded once per process for each
 * model and session setting (intra-op threads, arena) and shared by every thread (an
 * {@link OrtSession} is safe for concurrent {@code run} calls, and so is the tokenizer). The ONNX
 * and tokenizer files are read from the LangChain4j jars, where they ship.
 *
 * <p>{@link #run} embeds one token window and pools it as the model was trained ({@code [CLS]}
 * for BGE, the mean over the tokens for MiniLM).
 */
final class LocalModel {

	private static final Map<String, LocalModel> LOADED = new ConcurrentHashMap<>();

	private final OrtEnvironment environment;

	private final OrtSession session;

	private final HuggingFaceTokenizer tokenizer;

	private final boolean meanPooling;

	private final boolean tokenTypeIds;

	private LocalModel(String file, boolean meanPooling, LocalRuntime runtime) {
		this.environment = OrtEnvironment.getEnvironment();
		this.meanPooling = meanPooling;
		try (SessionOptions options = runtime.sessionOptions()) {
			this.session = this.environment.createSession(resource(file + ".onnx"), options);
			this.tokenTypeIds = this.session.getInputNames().contains("token_type_ids");
			try (InputStream json = stream(file + "-tokenizer.json")) {
				// the settings LangChain4j used, so the ids (and the stored vectors) stay the same
				this.tokenizer = HuggingFaceTokenizer.newInstance(json, Map.of("padding", "false"));
			}
		}
		catch (OrtException ex) {
			throw new IllegalStateException("cannot load the ONNX model " + file + ": " + ex.getMessage(), ex);
		}
		catch (IOException ex) {
			throw new UncheckedIOException("cannot read the tokenizer of " + file, ex);
		}
	}

	/**
	 * The process's one instance of a model with these runtime settings.
	 * @param file the model's file name in its jar, without {@code .onnx}
	 */
	static LocalModel of(String file, boolean meanPooling, LocalRuntime runtime) {
		// only what the session is made with tells sessions apart: parallel runs share one
		String key = file + " intra-op " + runtime.intraOpThreads() + " arena " + runtime.cpuArena();
		return LOADED.computeIfAbsent(key, any -> new LocalModel(file, meanPooling, runtime));
	}

	/** Models loaded in this process (one per model and session setting). */
	static int loadedCount() {
		return LOADED.size();
	}

	HuggingFaceTokenizer tokenizer() {
		return this.tokenizer;
	}

	/**
	 * The pooled, not yet normalised vector of one window. One window per run, never several padded
	 * into one: the models quantise their activations to int8 with one scale per tensor, so texts
	 * sharing a run would shift each other's vectors (by up to 0.013 in cosine, measured).
	 */
	float[] run(long[] window) throws OrtException {
		int length = window.length;
		// direct buffers in native order: ONNX Runtime reads them in place instead of copying
		LongBuffer ids = directLongs(length).put(window).flip();
		LongBuffer mask = directLongs(length);
		for (int i = 0; i < length; i++) {
			mask.put(1L);
		}
		mask.flip();
		long[] shape = { 1, length };
		try (OnnxTensor idsTensor = OnnxTensor.createTensor(this.environment, ids, shape);
				OnnxTensor maskTensor = OnnxTensor.createTensor(this.environment, mask, shape);
				OnnxTensor typesTensor = OnnxTensor.createTensor(this.environment, directLongs(length), shape)) {
			Map<String, OnnxTensor> inputs = this.tokenTypeIds
					? Map.of("input_ids", idsTensor, "attention_mask", maskTensor, "token_type_ids", typesTensor)
					: Map.of("input_ids", idsTensor, "attention_mask", maskTensor);
			try (OrtSession.Result result = this.session.run(inputs)) {
				OnnxTensor hidden = (OnnxTensor) result.get(0); // [1, length, dimensions]
				return pool(hidden.getFloatBuffer(), length, (int) hidden.getInfo().getShape()[2]);
			}
		}
	}

	private float[] pool(FloatBuffer hidden, int length, int dimensions) {
		float[] vector = new float[dimensions];
		if (!this.meanPooling) {
			hidden.get(0, vector); // [CLS], the first position
			return vector;
		}
		for (int t = 0; t < length; t++) {
			int offset = t * dimensions;
			for (int d = 0; d < dimensions; d++) {
				vector[d] += hidden.get(offset + d);
			}
		}
		for (int d = 0; d < dimensions; d++) {
			vector[d] /= length;
		}
		return vector;
	}

	private static LongBuffer directLongs(int count) {
		return ByteBuffer.allocateDirect(count * Long.BYTES).order(ByteOrder.nativeOrder()).asLongBuffer();
	}

	private static byte[] resource(String name) {
		try (InputStream in = stream(name)) {
			return in.readAllBytes();
		}
		catch (IOException ex) {
			throw new UncheckedIOException("cannot read " + name, ex);
		}
	}

	private static InputStream stream(String name) {
		InputStream in = LocalModel.class.getClassLoader().getResourceAsStream(name);
		if (in == null) {
			throw new IllegalStateException(name + " is not on the classpath (it ships in the LangChain4j model jar)");
		}
		return in;
	}

}

package dev.clara.shared.answers;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;

/**
 * The stored form of an {@link AnswerModel}, for a {@code bytea} column: a magic number and format
 * version, the embedding model id, the dimensions, the group ids in order, whether there is an
 * out-of-scope class, then the weights as big-endian IEEE floats. 150 groups × 384 dimensions take
 * about 235 kB.
 */
final class AnswerModelCodec {

	private static final int MAGIC = 0x434c414d; // "CLAM"

	private static final int VERSION = 1;

	private AnswerModelCodec() {
	}

	static byte[] encode(AnswerModel model) {
		ByteArrayOutputStream bytes = new ByteArrayOutputStream(model.weights().length * 4 + 64 * model.groupIds().size());
		try (DataOutputStream out = new DataOutputStream(bytes)) {
			out.writeInt(MAGIC);
			out.writeInt(VERSION);
			out.writeUTF(model.embeddingModelId());
			out.writeInt(model.dimensions());
			out.writeInt(model.groupIds().size());
			for (String id : model.groupIds()) {
				out.writeUTF(id);
			}
			out.writeBoolean(model.hasOutOfScopeClass());
			for (float w : model.weights()) {
				out.writeFloat(w);
			}
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
		return bytes.toByteArray();
	}

	static AnswerModel decode(byte[] bytes) {
		try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(bytes))) {
			if (in.readInt() != MAGIC) {
				throw new IllegalArgumentException("not a stored answer model");
			}
			int version = in.readInt();
			if (version != VERSION) {
				throw new IllegalArgumentException("answer model format " + version + " is not known here");
			}
			String embeddingModelId = in.readUTF();
			int dimensions = in.readInt();
			int groups = in.readInt();
			List<String> groupIds = new ArrayList<>(groups);
			for (int g = 0; g < groups; g++) {
				groupIds.add(in.readUTF());
			}
			boolean outOfScope = in.readBoolean();
			float[] weights = new float[(dimensions + 1) * (groups + (outOfScope ? 1 : 0))];
			for (int i = 0; i < weights.length; i++) {
				weights[i] = in.readFloat();
			}
			if (in.available() > 0) {
				throw new IllegalArgumentException("stored answer model has trailing bytes");
			}
			return new AnswerModel(embeddingModelId, groupIds, outOfScope, dimensions, weights);
		}
		catch (IOException ex) {
			throw new IllegalArgumentException("truncated answer model", ex);
		}
	}

}

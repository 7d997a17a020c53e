package dev.clara.chat.answering;

import dev.clara.shared.answers.AnswerModel;
import dev.clara.shared.answers.TrainedPairs;

/** A stored answer model as the chat turn uses it: the model and the pairs it was trained on. */
record LoadedModel(int version, AnswerModel model, TrainedPairs pairs, int pairCount, int groupCount) {
}

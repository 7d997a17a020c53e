package dev.clara.gaps;

import java.time.Duration;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.boot.context.properties.source.MapConfigurationPropertySource;

/**
 * Settings of the gap detector ({@code clara.gaps.*}); README "Configuration" says how each was
 * chosen. The per-model grouping threshold is a column of {@code embedding_models}, stated once
 * there; only an operator's override is set here. Automatic closing has no setting of its own: it
 * asks the chat turn's decision ({@code AnswerDecision}, with the workspace's threshold and the
 * model's calibrations), so a gap closes exactly when the chat would now answer it.
 *
 * @param consumer this service's name in {@code processed_events}
 * @param groupingThreshold similarity at or above which a new gap joins an open gap's group, for
 * every model; null (the default) = the model's {@code embedding_models.gap_grouping_threshold}
 * @param linkage how similarity to a group is measured
 * @param countUpdateInterval a repeated ask publishes an updated {@code GapDetected} only when it
 * is the gap's first ask in a new interval of this length (UTC-aligned; default one day), so
 * analysts see the count move without one event per ask
 */
@ConfigurationProperties("clara.gaps")
public record GapProperties(@DefaultValue("gap-detector") String consumer, Double groupingThreshold,
		@DefaultValue("nearest") Linkage linkage, @DefaultValue("1d") Duration countUpdateInterval) {

	public GapProperties {
		if (groupingThreshold != null) {
			requireSimilarity(groupingThreshold, "clara.gaps.grouping-threshold");
		}
		if (countUpdateInterval == null || countUpdateInterval.isNegative() || countUpdateInterval.isZero()) {
			throw new IllegalArgumentException("clara.gaps.count-update-interval must be positive");
		}
	}

	/** The defaults declared above, for code that runs without Spring (the CLINC150 measurement). */
	public static GapProperties defaults() {
		return new Binder(new MapConfigurationPropertySource()).bindOrCreate("clara.gaps", GapProperties.class);
	}

	/** The grouping threshold: the override, else the model's from the database. */
	double groupingThreshold(double modelThreshold) {
		return (this.groupingThreshold != null) ? this.groupingThreshold : modelThreshold;
	}

	GapProperties withGrouping(Double threshold, Linkage newLinkage) {
		return new GapProperties(this.consumer, threshold, newLinkage, this.countUpdateInterval);
	}

	private static void requireSimilarity(double value, String name) {
		if (value < -1 || value > 1) {
			throw new IllegalArgumentException(name + " must be a similarity in [-1, 1], was " + value);
		}
	}

}

package dev.clara.gaps;

import java.time.Duration;
import java.util.Map;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Settings of the gap detector ({@code clara.gaps.*}); README "Configuration" says how each was
 * chosen.
 *
 * @param consumer this service's name in {@code processed_events}
 * @param groupingThreshold similarity at or above which a new gap joins an open gap's group, for
 * every model; null (the default) = the per-model value below
 * @param groupingThresholds the same per embedding model, as measured on CLINC150; a model without
 * an entry uses its {@code embedding_models.gap_grouping_threshold}
 * @param linkage how similarity to a group is measured
 * @param countUpdateInterval a repeated ask publishes an updated {@code GapDetected} only when it
 * is the gap's first ask in a new interval of this length (UTC-aligned; default one day), so
 * analysts see the count move without one event per ask
 * @param autoCloseMargin added to the workspace's confidence threshold for closing gaps
 * automatically (0 = exactly the threshold the chat answers at)
 */
@ConfigurationProperties("clara.gaps")
public record GapProperties(@DefaultValue("gap-detector") String consumer, Double groupingThreshold,
		Map<String, Double> groupingThresholds, @DefaultValue("nearest") Linkage linkage,
		@DefaultValue("1d") Duration countUpdateInterval, @DefaultValue("0.05") double autoCloseMargin) {

	public GapProperties {
		groupingThresholds = (groupingThresholds == null) ? Map.of() : Map.copyOf(groupingThresholds);
		if (groupingThreshold != null) {
			requireSimilarity(groupingThreshold, "clara.gaps.grouping-threshold");
		}
		groupingThresholds.forEach((model, value) -> requireSimilarity(value, "clara.gaps.grouping-thresholds[" + model + "]"));
		if (countUpdateInterval == null || countUpdateInterval.isNegative() || countUpdateInterval.isZero()) {
			throw new IllegalArgumentException("clara.gaps.count-update-interval must be positive");
		}
		if (autoCloseMargin < 0 || autoCloseMargin > 1) {
			throw new IllegalArgumentException("clara.gaps.auto-close-margin must be in [0, 1]");
		}
	}

	/** The defaults of {@code application.properties}, for code that runs without Spring (the CLINC150 measurement). */
	public static GapProperties defaults() {
		return new GapProperties("gap-detector", null,
				Map.of("all-minilm-l6-v2-q", 0.50, "bge-small-en-v1.5-q", 0.80), Linkage.NEAREST, Duration.ofDays(1),
				0.05);
	}

	/** The grouping threshold for vectors of {@code model}, or null to use the database's. */
	Double groupingThreshold(String model) {
		return this.groupingThreshold != null ? this.groupingThreshold : this.groupingThresholds.get(model);
	}

	GapProperties withGrouping(Double threshold, Linkage newLinkage) {
		return new GapProperties(this.consumer, threshold, this.groupingThresholds, newLinkage,
				this.countUpdateInterval, this.autoCloseMargin);
	}

	GapProperties withAutoCloseMargin(double margin) {
		return new GapProperties(this.consumer, this.groupingThreshold, this.groupingThresholds, this.linkage,
				this.countUpdateInterval, margin);
	}

	private static void requireSimilarity(Double value, String name) {
		if (value == null || value < -1 || value > 1) {
			throw new IllegalArgumentException(name + " must be a similarity in [-1, 1]");
		}
	}

}

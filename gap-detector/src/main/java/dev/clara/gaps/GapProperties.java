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
 * @param autoCloseFloors per embedding model, the least similarity at which a pair closes a gap
 * automatically, whatever the workspace's threshold: a threshold tuned for answering (where a
 * wrong answer still shows the visitor the pair) can be far too low for closing a gap unseen
 */
@ConfigurationProperties("clara.gaps")
public record GapProperties(@DefaultValue("gap-detector") String consumer, Double groupingThreshold,
		Map<String, Double> groupingThresholds, @DefaultValue("nearest") Linkage linkage,
		@DefaultValue("1d") Duration countUpdateInterval, @DefaultValue("0.05") double autoCloseMargin,
		Map<String, Double> autoCloseFloors) {

	public GapProperties {
		groupingThresholds = (groupingThresholds == null) ? Map.of() : Map.copyOf(groupingThresholds);
		autoCloseFloors = (autoCloseFloors == null) ? Map.of() : Map.copyOf(autoCloseFloors);
		autoCloseFloors.forEach((model, value) -> requireSimilarity(value, "clara.gaps.auto-close-floors[" + model + "]"));
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
				Map.of("all-minilm-l6-v2-q", 0.50, "bge-small-en-v1.5-q", 0.65), Linkage.NEAREST, Duration.ofDays(1),
				0.05, Map.of("all-minilm-l6-v2-q", 0.60, "bge-small-en-v1.5-q", 0.82));
	}

	/** The similarity a pair needs to close a gap automatically, given the workspace's threshold. */
	double autoCloseThreshold(String model, double confidenceThreshold) {
		return Math.max(confidenceThreshold + this.autoCloseMargin, this.autoCloseFloors.getOrDefault(model, -1.0));
	}

	/** The grouping threshold for vectors of {@code model}, or null to use the database's. */
	Double groupingThreshold(String model) {
		return this.groupingThreshold != null ? this.groupingThreshold : this.groupingThresholds.get(model);
	}

	GapProperties withGrouping(Double threshold, Linkage newLinkage) {
		return new GapProperties(this.consumer, threshold, this.groupingThresholds, newLinkage,
				this.countUpdateInterval, this.autoCloseMargin, this.autoCloseFloors);
	}

	GapProperties withAutoCloseMargin(double margin) {
		return new GapProperties(this.consumer, this.groupingThreshold, this.groupingThresholds, this.linkage,
				this.countUpdateInterval, margin, this.autoCloseFloors);
	}

	GapProperties withoutAutoCloseFloors() {
		return new GapProperties(this.consumer, this.groupingThreshold, this.groupingThresholds, this.linkage,
				this.countUpdateInterval, this.autoCloseMargin, Map.of());
	}

	private static void requireSimilarity(Double value, String name) {
		if (value == null || value < -1 || value > 1) {
			throw new IllegalArgumentException(name + " must be a similarity in [-1, 1]");
		}
	}

}

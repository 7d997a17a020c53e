package dev.clara.shared.events;

import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.util.Set;

/**
 * The type name and version a payload class declares. By convention every payload record has
 * {@code public static final String TYPE} and {@code public static final int VERSION} (see
 * {@link QuestionAsked}), read once per class here so the codec needs no registry to keep in step.
 * A payload that gained a property within its version lists it (wire name) in
 * {@code public static final Set<String> OPTIONAL}: an event written before it may lack it.
 */
record EventTypes(String type, int version, Set<String> optional) {

	private static final ClassValue<EventTypes> CACHE = new ClassValue<>() {
		@Override
		protected EventTypes computeValue(Class<?> payloadType) {
			return new EventTypes((String) constant(payloadType, "TYPE", String.class),
					(Integer) constant(payloadType, "VERSION", int.class), optional(payloadType));
		}
	};

	static EventTypes of(Class<?> payloadType) {
		return CACHE.get(payloadType);
	}

	@SuppressWarnings("unchecked")
	private static Set<String> optional(Class<?> payloadType) {
		try {
			Field field = payloadType.getField("OPTIONAL");
			return Modifier.isStatic(field.getModifiers()) && field.getType() == Set.class
					? Set.copyOf((Set<String>) field.get(null)) : Set.of();
		}
		catch (ReflectiveOperationException ex) {
			return Set.of();
		}
	}

	private static Object constant(Class<?> payloadType, String name, Class<?> fieldType) {
		try {
			Field field = payloadType.getField(name);
			if (!Modifier.isStatic(field.getModifiers()) || field.getType() != fieldType) {
				throw new NoSuchFieldException(name);
			}
			return field.get(null);
		}
		catch (ReflectiveOperationException ex) {
			throw new IllegalArgumentException(payloadType.getName() + " is not an event payload: it must declare "
					+ "public static final " + fieldType.getSimpleName() + " " + name, ex);
		}
	}

}

package dev.baton.common.text;

import tools.jackson.core.JacksonException;
import tools.jackson.core.JsonParser;
import tools.jackson.databind.BeanDescription;
import tools.jackson.databind.DeserializationConfig;
import tools.jackson.databind.DeserializationContext;
import tools.jackson.databind.JavaType;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.KeyDeserializer;
import tools.jackson.databind.ValueDeserializer;
import tools.jackson.databind.deser.ValueDeserializerModifier;
import tools.jackson.databind.deser.jackson.JsonNodeDeserializer;
import tools.jackson.databind.deser.std.DelegatingDeserializer;
import tools.jackson.databind.module.SimpleModule;

/**
 * Refuses, while a request body is read, every string and member name that PostgreSQL could not
 * store as sent ({@link StorableText}), wherever it sits: a field, an element of a list, a map's
 * key or value, or anywhere inside a free-form JSON value. The error names the field's JSON path
 * and is answered as a 400 validation problem.
 */
public class StorableTextModule extends SimpleModule {

    @SuppressWarnings({"unchecked", "rawtypes"})
    public StorableTextModule() {
        super("baton-storable-text");
        setDeserializerModifier(new Checking());
        // JSON trees are read by a deserializer of their own, which no modifier sees.
        addDeserializer(JsonNode.class, (ValueDeserializer)
                new CheckedValue(JsonNodeDeserializer.getDeserializer(JsonNode.class)));
    }

    /** Wraps the deserializers of strings, and the key deserializers, in a check. */
    private static final class Checking extends ValueDeserializerModifier {

        @Override
        public ValueDeserializer<?> modifyDeserializer(
                DeserializationConfig config, BeanDescription.Supplier description, ValueDeserializer<?> deserializer) {
            return description.getBeanClass() == String.class ? new CheckedValue(deserializer) : deserializer;
        }

        @Override
        public KeyDeserializer modifyKeyDeserializer(
                DeserializationConfig config, JavaType type, KeyDeserializer deserializer) {
            return type.getRawClass() == String.class ? new CheckedKey(deserializer) : deserializer;
        }
    }

    private static final class CheckedValue extends DelegatingDeserializer {

        CheckedValue(ValueDeserializer<?> delegate) {
            super(delegate);
        }

        @Override
        protected ValueDeserializer<?> newDelegatingInstance(ValueDeserializer<?> delegate) {
            return new CheckedValue(delegate);
        }

        @Override
        public Object deserialize(JsonParser parser, DeserializationContext context) throws JacksonException {
            return checked(parser, super.deserialize(parser, context));
        }

        @Override
        public Object deserialize(JsonParser parser, DeserializationContext context, Object into)
                throws JacksonException {
            return checked(parser, super.deserialize(parser, context, into));
        }

        private static Object checked(JsonParser parser, Object value) {
            if (value instanceof String text) {
                String reason = StorableText.flaw(text);
                if (reason != null) {
                    throw new UnstorableTextException(parser, reason);
                }
            } else if (value instanceof JsonNode json) {
                StorableText.Flaw flaw = StorableText.flaw(json);
                if (flaw != null) {
                    throw new UnstorableTextException(
                            parser, (flaw.at().isEmpty() ? "" : "at " + flaw.at() + " ") + flaw.reason());
                }
            }
            return value;
        }
    }

    private static final class CheckedKey extends KeyDeserializer {

        private final KeyDeserializer delegate;

        CheckedKey(KeyDeserializer delegate) {
            this.delegate = delegate;
        }

        @Override
        public void resolve(DeserializationContext context) throws JacksonException {
            if (delegate != null) {
                delegate.resolve(context);
            }
        }

        @Override
        public Object deserializeKey(String key, DeserializationContext context) throws JacksonException {
            String reason = StorableText.flaw(key);
            if (reason != null) {
                throw new UnstorableTextException(context.getParser(), "has a key that " + reason);
            }
            return delegate == null ? key : delegate.deserializeKey(key, context);
        }
    }
}

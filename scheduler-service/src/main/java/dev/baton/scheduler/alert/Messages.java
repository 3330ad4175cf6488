package dev.baton.scheduler.alert;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * An alert in each channel's format: the alert's own JSON for a webhook, and the documented
 * incoming-webhook payload of each chat: Slack's {@code text}, an Adaptive Card for Teams,
 * DingTalk's and Feishu's {@code text} messages. Stateless.
 */
final class Messages {

    private Messages() {}

    /** One line: which job, what happened. */
    static String summary(JsonNode alert) {
        return "Baton: job " + alert.path("job").path("name").asString() + " " + what(alert);
    }

    /** The rest: which execution, which attempt, the error. */
    static String detail(JsonNode alert) {
        JsonNode execution = alert.path("execution");
        StringBuilder text = new StringBuilder()
                .append("Execution ")
                .append(execution.path("id").asLong())
                .append(" is ")
                .append(execution.path("status").asString());
        if (execution.path("attempt").asInt() > 0) {
            text.append(" after attempt ").append(execution.path("attempt").asInt());
        }
        if (!execution.path("error").isNull() && !execution.path("error").isMissingNode()) {
            text.append(": ").append(execution.path("error").asString());
        }
        return text.append(" (").append(alert.path("at").asString()).append(")").toString();
    }

    private static String what(JsonNode alert) {
        return switch (AlertEvent.valueOf(alert.path("event").asString())) {
            case FAILED -> "failed";
            case TIMED_OUT -> "timed out";
            case MISFIRED -> "missed a trigger (skipped by its misfire policy)";
            case CONSECUTIVE_FAILURES ->
                "failed " + alert.path("consecutiveFailures").asInt() + " times in a row";
            case RECOVERED -> "succeeded again";
        };
    }

    /** The body posted to a channel of this type. */
    static String body(ChannelType type, String payload, JsonMapper json) {
        if (type == ChannelType.WEBHOOK) {
            return payload;
        }
        JsonNode alert = json.readTree(payload);
        String text = summary(alert) + "\n" + detail(alert);
        ObjectNode body = json.createObjectNode();
        switch (type) {
            case SLACK -> body.put("text", text);
            case DINGTALK -> body.put("msgtype", "text").putObject("text").put("content", text);
            case FEISHU -> body.put("msg_type", "text").putObject("content").put("text", text);
            case TEAMS -> {
                body.put("type", "message");
                ObjectNode card = body.putArray("attachments")
                        .addObject()
                        .put("contentType", "application/vnd.microsoft.card.adaptive")
                        .putObject("content");
                card.put("$schema", "http://adaptivecards.io/schemas/adaptive-card.json")
                        .put("type", "AdaptiveCard")
                        .put("version", "1.4");
                var blocks = card.putArray("body");
                blocks.addObject()
                        .put("type", "TextBlock")
                        .put("text", summary(alert))
                        .put("weight", "Bolder")
                        .put("size", "Medium")
                        .put("wrap", true);
                blocks.addObject()
                        .put("type", "TextBlock")
                        .put("text", detail(alert))
                        .put("wrap", true);
            }
            default -> throw new IllegalArgumentException(type + " is not posted");
        }
        return json.writeValueAsString(body);
    }

    /**
     * Why a chat refused a message it answered with 200, or null: DingTalk answers {@code errcode}
     * and Feishu {@code code}, non-zero on refusal.
     */
    static String refusal(ChannelType type, String answer, JsonMapper json) {
        String field = switch (type) {
            case DINGTALK -> "errcode";
            case FEISHU -> "code";
            default -> null;
        };
        if (field == null || answer.isBlank()) {
            return null;
        }
        JsonNode node;
        try {
            node = json.readTree(answer);
        } catch (RuntimeException notJson) {
            return null;
        }
        return node.path(field).asInt(0) == 0 ? null : "answered " + answer;
    }
}

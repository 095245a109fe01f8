package dev.atrest.keyservice.grpc;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.Descriptors.Descriptor;
import com.google.protobuf.Descriptors.FieldDescriptor;
import com.google.protobuf.DynamicMessage;
import com.google.protobuf.Message;
import dev.atrest.keyservice.domain.AccessPolicy;
import io.grpc.MethodDescriptor;
import io.grpc.ServiceDescriptor;
import io.grpc.protobuf.ProtoMethodDescriptorSupplier;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Before the hand-written tables go: the declarations read from the proto give every RPC the same access
 * rule, the same audit classification and the same resource and project for any request as the tables
 * and the field-name convention did.
 */
class DeclarationsMatchTheOldTablesTest {

    @Test
    void everyContractMethod_declarationMatchesTheOldTables() {
        AccessPolicy old = AccessPolicy.atrestV1();
        List<String> checked = new ArrayList<>();
        for (ServiceDescriptor service : ContractServices.all()) {
            for (MethodDescriptor<?, ?> method : service.getMethods()) {
                String name = method.getFullMethodName();
                MethodDeclaration declared = MethodDeclarations.of(method).orElseThrow();

                assertThat(declared.rule()).as(name).isEqualTo(old.rule(name).orElseThrow());
                assertThat(declared.audited()).as(name).isEqualTo(AuditedCalls.AUDITED.contains(name));
                assertThat(AuditedCalls.AUDITED.contains(name) || AuditedCalls.READ_ONLY.contains(name)).isTrue();
                Descriptor input = ((ProtoMethodDescriptorSupplier) method.getSchemaDescriptor())
                        .getMethodDescriptor().getInputType();
                for (Message request : samples(input)) {
                    assertThat(declared.resource().describe(request)).as(name + " " + request)
                            .isEqualTo(RequestResources.describe(request));
                    assertThat(declared.resource().projectId(request)).as(name + " " + request)
                            .isEqualTo(RequestResources.projectId(request));
                }
                checked.add(name);
            }
        }
        assertThat(checked).hasSize(AuditedCalls.AUDITED.size() + AuditedCalls.READ_ONLY.size());
    }

    /** The request with every string field set (one level deep), then with each of them blank in turn, and empty. */
    private static List<Message> samples(Descriptor type) {
        List<FieldPath> fields = stringFields(type);
        List<Message> samples = new ArrayList<>();
        samples.add(DynamicMessage.getDefaultInstance(type));
        samples.add(filled(type, fields, null));
        for (FieldPath blank : fields) {
            samples.add(filled(type, fields, blank));
        }
        return samples;
    }

    private record FieldPath(FieldDescriptor outer, FieldDescriptor field) {}

    private static List<FieldPath> stringFields(Descriptor type) {
        List<FieldPath> paths = new ArrayList<>();
        for (FieldDescriptor field : type.getFields()) {
            if (field.isRepeated()) {
                continue;
            }
            if (field.getJavaType() == FieldDescriptor.JavaType.STRING) {
                paths.add(new FieldPath(null, field));
            } else if (field.getJavaType() == FieldDescriptor.JavaType.MESSAGE) {
                for (FieldDescriptor inner : field.getMessageType().getFields()) {
                    if (!inner.isRepeated() && inner.getJavaType() == FieldDescriptor.JavaType.STRING) {
                        paths.add(new FieldPath(field, inner));
                    }
                }
            }
        }
        return paths;
    }

    private static Message filled(Descriptor type, List<FieldPath> fields, FieldPath blank) {
        DynamicMessage.Builder request = DynamicMessage.newBuilder(type);
        for (FieldPath path : fields) {
            String value = path.equals(blank) ? " " : "v-" + path.field().getName();
            if (path.outer() == null) {
                request.setField(path.field(), value);
            } else {
                DynamicMessage.Builder inner = request.hasField(path.outer())
                        ? ((DynamicMessage) request.getField(path.outer())).toBuilder()
                        : DynamicMessage.newBuilder(path.outer().getMessageType());
                request.setField(path.outer(), inner.setField(path.field(), value).build());
            }
        }
        return request.build();
    }
}

package dev.marketops.platform;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.marketops.platform.security.Permission;
import dev.marketops.platform.security.Roles;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/** README's role table is the Permission enum: a change to one without the other fails here. */
class PermissionTableTest {

    @Test
    void readmeTableMatchesThePermissionEnum() throws Exception {
        List<String> readme = Files.readAllLines(Path.of("..", "README.md")).stream()
                .filter(l -> l.matches("^\\| `[a-z]+:[a-z-]+` \\|.*"))
                .map(String::trim).toList();
        List<String> expected = new ArrayList<>();
        for (Permission p : Permission.values()) {
            StringBuilder row = new StringBuilder("| `" + p.key() + "` | " + p.description() + " |");
            for (String role : Roles.PEOPLE) {
                row.append(p.roles().contains(role) ? " yes |" : " - |");
            }
            expected.add(row.toString());
        }
        assertEquals(expected, readme, "README 'Identity and access' table vs Permission.java");
        assertEquals(Arrays.asList(Permission.values()).size(), readme.size());
    }
}

package org.buddygrid.replication;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Two attributes sharing one mutable object: detected (DETECT) or kept shared (GROUP). */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class CrossReferenceTest {
  private final Grids grids = new Grids();

  @AfterEach
  void stop() {
    grids.close();
  }

  public static final class Student {
    String name;

    public Student() {}

    Student(String name) {
      this.name = name;
    }
  }

  public static final class School {
    final List<Student> students = new ArrayList<>();
  }

  private static String storeSharedStudent(SessionGrid owner) {
    GridSession s = owner.create();
    Student alice = new Student("alice");
    School school = new School();
    school.students.add(alice);
    s.setAttribute("student", alice);
    s.setAttribute("school", school);
    assertThat(s.commit()).isEqualTo(CommitResult.REPLICATED);
    return s.id();
  }

  @Test
  void detectModeCountsTheSharedObjectAndTheCopiesSplitAfterATakeover() {
    List<SessionGrid> g = grids.startAll(2, b -> b.crossReferences(CrossReferences.DETECT));
    String id = storeSharedStudent(g.get(0));
    assertThat(g.get(0).metrics().count("cross-references.detected")).isEqualTo(1);

    GridSession taken = g.get(1).open(id).orElseThrow();
    Student student = (Student) taken.getAttribute("student");
    School school = (School) taken.getAttribute("school");
    assertThat(student.name).isEqualTo("alice");
    assertThat(school.students.get(0).name).isEqualTo("alice");
    // The documented weakness of attribute granularity: two copies now.
    assertThat(school.students.get(0)).isNotSameAs(student);
    taken.commit();
  }

  @Test
  void groupModeKeepsTheSharedIdentityThroughTakeovers() {
    List<SessionGrid> g = grids.startAll(3, b -> b.crossReferences(CrossReferences.GROUP));
    String id = storeSharedStudent(g.get(0));
    assertThat(g.get(0).metrics().count("cross-references.detected")).isEqualTo(1);

    GridSession taken = g.get(1).open(id).orElseThrow();
    assertThat(taken.attributeNames()).containsExactlyInAnyOrder("student", "school");
    Student student = (Student) taken.getAttribute("student");
    School school = (School) taken.getAttribute("school");
    assertThat(school.students.get(0)).isSameAs(student);

    // A change through one attribute, committed on the new owner, shows through the other after the
    // next takeover too.
    student.name = "alice b.";
    taken.commit();
    GridSession again = g.get(2).open(id).orElseThrow();
    Student s2 = (Student) again.getAttribute("student");
    School school2 = (School) again.getAttribute("school");
    assertThat(s2.name).isEqualTo("alice b.");
    assertThat(school2.students.get(0)).isSameAs(s2);

    // Removing one member keeps the other.
    again.removeAttribute("school");
    again.commit();
    GridSession third = g.get(0).open(id).orElseThrow();
    assertThat(third.attributeNames()).containsExactly("student");
    assertThat(((Student) third.getAttribute("student")).name).isEqualTo("alice b.");
    third.commit();
  }

  @Test
  void attributesThatShareNothingAreNotReported() {
    List<SessionGrid> g = grids.startAll(2, b -> b);
    GridSession s = g.get(0).create();
    s.setAttribute("a", new Student("x"));
    s.setAttribute("b", new Student("x"));
    s.setAttribute("c", "same string");
    s.setAttribute("d", "same string");
    s.commit();
    assertThat(g.get(0).metrics().count("cross-references.detected")).isZero();
  }
}

use super::*;

fn check(skel: &str, expected_stem: &str) {
    assert_eq!(stem(skel), expected_stem, "stem of {skel}");
}

#[test]
fn stems_and_roots() {
    check("asanov", "asan");
    check("asanova", "asan");
    check("asanovich", "asan");
    check("asanovna", "asan");
    check("jumabekovich", "jumabek");
    check("nurlanuli", "nurlan");
    check("nurlankizi", "nurlan");
    check("rahmonzoda", "rahmon");
    check("rahmonov", "rahmon");
    check("rahmoni", "rahmon");
    check("aliev", "ali");
    check("petrovskaia", "petrov");
    check("petrovski", "petrov");
    check("asan", "asan");
    check("nuridin", "nuridin");
    check("kim", "kim");
}

#[test]
fn particles_and_sex() {
    assert_eq!(particle("ulu"), Some(Particle::Son));
    assert_eq!(particle("ugli"), Some(Particle::Son));
    assert_eq!(particle("kizi"), Some(Particle::Daughter));
    assert_eq!(particle("tegin"), Some(Particle::Descendant));
    assert_eq!(particle("asan"), None);
    assert_eq!(
        russian_patronymic("jumabekovna"),
        Some(("ovna", Sex::Female))
    );
    assert_eq!(russian_patronymic("ilich"), None);
    assert_eq!(russian_patronymic("kuzmich"), Some(("ich", Sex::Male)));
    assert_eq!(
        surname_ending("asanova").map(|e| e.1),
        Some(Some(Sex::Female))
    );
    assert_eq!(surname_ending("rahmonzoda").map(|e| e.1), Some(None));
}
